package com.cleversync.sync;

import com.cleversync.system.BadInputException;
import com.cleversync.system.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** The nightly sync (the Kubernetes CronJob's command). */
@Command(name = "nightly", mixinStandardHelpOptions = true,
        description = {"Nightly sync: recover executions left running by a dead process, then run every import of every",
                "event with sync on (restarting a failed or stopped run, else starting a new one). Accounts run in",
                "parallel; one import failing does not stop the others. Prints a summary table.",
                "Per district: incremental from Clever's events when the cursor can be trusted, else a full sync.",
                "With clever-sync.nightly.mode=manager, districts are partitions worked by 'worker' processes, and a",
                "failed run is restarted (completed districts are not redone).",
                "Exit 0 all completed, 1 an import failed, 3 stopped (shutdown) and restartable."})
public class NightlyCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--concurrency", paramLabel = "N",
            description = "Accounts synced in parallel (default clever-sync.ops.nightly-concurrency, 2).")
    Integer concurrency;

    @Override
    public Integer call() {
        if (concurrency != null && (concurrency < 1 || concurrency > 64)) {
            throw new BadInputException("--concurrency must be 1..64, got " + concurrency);
        }
        com.cleversync.system.AppContext app = cli.app(false);
        NightlyReport report = switch (app.bean(com.cleversync.incremental.NightlyProperties.class).mode()) {
            case MANAGER -> app.bean(com.cleversync.incremental.RemoteNightly.class).run();
            case WORKER -> throw new BadInputException("clever-sync.nightly.mode is worker: this process works partitions "
                    + "('worker'); run 'nightly' in local or manager mode");
            case LOCAL -> {
                NightlySync nightly = app.bean(NightlySync.class);
                yield nightly.run(concurrency == null ? nightly.defaultConcurrency() : concurrency);
            }
        };
        spec.commandLine().getOut().print(report.format());
        return report.exitCode();
    }
}

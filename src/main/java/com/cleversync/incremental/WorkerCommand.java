package com.cleversync.incremental;

import com.cleversync.system.Cli;
import com.cleversync.system.ExitCodes;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** A remote-partitioning worker of the nightly sync, until SIGTERM (the Kubernetes worker Deployment's command). */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Work nightly partitions (one district each) sent by a 'nightly' manager",
                "(clever-sync.nightly.mode=manager), one at a time, until stopped. Runs in worker mode whatever",
                "clever-sync.nightly.mode says. On SIGTERM the running imports stop at a chunk boundary and the",
                "partition fails, to be redone by a restart of the nightly run."})
public class WorkerCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        ConfigurableApplicationContext context = (ConfigurableApplicationContext)
                cli.app(false, "--clever-sync.nightly.mode=worker").get();
        CountDownLatch closed = new CountDownLatch(1);
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent) {
                closed.countDown();
            }
        });
        spec.commandLine().getOut().println("worker ready: polling for nightly partitions");
        spec.commandLine().getOut().flush();
        if (context.isActive()) {
            closed.await();
        }
        return ExitCodes.OK;
    }
}

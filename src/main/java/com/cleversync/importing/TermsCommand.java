package com.cleversync.importing;

import com.cleversync.system.Cli;
import com.cleversync.system.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "terms", mixinStandardHelpOptions = true,
        description = "Preview a school's Clever terms with their numbers of sections, students and teachers (writes nothing).")
public class TermsCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--account", required = true, description = "Account id.")
    long account;

    @Option(names = "--school", required = true, description = "Clever school id.")
    String school;

    @Override
    public Integer call() {
        ImportService.cleverId(school, "school");
        var terms = cli.app(false).bean(TermPreview.class).terms(account, school);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-26s %-32s %-10s %-10s %8s %8s %8s%n", "term", "name", "start", "end", "sections", "students", "teachers");
        for (var t : terms) {
            out.printf("%-26s %-32s %-10s %-10s %8d %8d %8d%n", t.termId() == null ? "-" : t.termId(), t.name(),
                    t.startDate() == null ? "-" : t.startDate(), t.endDate() == null ? "-" : t.endDate(), t.sections(),
                    t.students(), t.teachers());
        }
        return ExitCodes.OK;
    }
}

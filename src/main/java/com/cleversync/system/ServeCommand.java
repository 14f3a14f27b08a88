package com.cleversync.system;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** The long-running service: Actuator endpoints over HTTP until SIGTERM. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the HTTP service (Actuator endpoints) until stopped.")
public class ServeCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Override
    public Integer call() throws InterruptedException {
        ConfigurableApplicationContext context = (ConfigurableApplicationContext) cli.app(true).get();
        CountDownLatch closed = new CountDownLatch(1);
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent) {
                closed.countDown();
            }
        });
        if (context.isActive()) {
            closed.await();
        }
        return ExitCodes.OK;
    }
}

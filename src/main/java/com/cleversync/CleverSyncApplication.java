package com.cleversync;

import com.cleversync.system.Cli;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * clever-sync: imports K-12 rosters from the Clever Data API into the booking database.
 * Every entry point is a command of {@link Cli}; Spring starts only for commands that need it.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CleverSyncApplication {

    public static void main(String[] args) {
        System.exit(Cli.run(args));
    }
}

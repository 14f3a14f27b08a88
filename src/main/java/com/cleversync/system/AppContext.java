package com.cleversync.system;

import com.cleversync.CleverSyncApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.function.Supplier;

/**
 * Where commands get their Spring beans. Commands parse and validate their arguments before asking for it,
 * so {@code --help} and usage errors never start Spring or touch the database. Tests hand in their own context.
 */
public final class AppContext {

    private final Supplier<ApplicationContext> factory;
    private final boolean owned;
    private ApplicationContext context;

    private AppContext(Supplier<ApplicationContext> factory, boolean owned) {
        this.factory = factory;
        this.owned = owned;
    }

    /** Starts the application on first use: as a web server for {@code serve}, without one otherwise. */
    public static AppContext lazy(boolean web, String... springArgs) {
        return new AppContext(() -> new SpringApplicationBuilder(CleverSyncApplication.class)
                .web(web ? WebApplicationType.SERVLET : WebApplicationType.NONE)
                .logStartupInfo(false)
                .run(springArgs), true);
    }

    public static AppContext of(ApplicationContext context) {
        return new AppContext(() -> context, false);
    }

    public synchronized ApplicationContext get() {
        if (context == null) {
            context = factory.get();
        }
        return context;
    }

    public <T> T bean(Class<T> type) {
        return get().getBean(type);
    }

    /** Closes a context this holder started; a context handed in by a test stays open. */
    public synchronized void closeIfStarted() {
        if (owned && context instanceof ConfigurableApplicationContext c && c.isActive()) {
            c.close();
        }
    }

    public synchronized boolean started() {
        return context != null;
    }
}

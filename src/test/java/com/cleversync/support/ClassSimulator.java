package com.cleversync.support;

import com.cleversync.simulator.CleverSimulator;
import com.cleversync.simulator.SimulatorSettings;

import java.util.function.Supplier;

/**
 * The Clever simulator of a test base class: started when Spring first reads its URL (a dynamic property), a
 * fresh district before each test, closed after each class. Every start uses the port of the first one, so the
 * URL in a cached Spring context stays valid across tests and classes.
 */
public final class ClassSimulator {

    private final Supplier<SimulatorSettings> settings;
    private CleverSimulator sim;
    private int port;

    public ClassSimulator(Supplier<SimulatorSettings> settings) {
        this.settings = settings;
    }

    /** The running simulator, started now if none runs (for {@code @DynamicPropertySource}). */
    public synchronized CleverSimulator running() {
        if (sim == null) {
            sim = CleverSimulator.start(port == 0 ? settings.get() : settings.get().withPort(port));
            port = sim.port();
        }
        return sim;
    }

    /** A new simulator with a freshly generated district of the default settings. */
    public CleverSimulator fresh() {
        return fresh(settings.get());
    }

    /** A new simulator with these settings, on the same port. */
    public synchronized CleverSimulator fresh(SimulatorSettings with) {
        close();
        sim = CleverSimulator.start(port == 0 ? with : with.withPort(port));
        port = sim.port();
        return sim;
    }

    public synchronized void close() {
        if (sim != null) {
            sim.close();
            sim = null;
        }
    }
}

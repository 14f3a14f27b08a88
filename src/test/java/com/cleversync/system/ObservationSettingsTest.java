package com.cleversync.system;

import com.cleversync.support.DatabaseTest;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-item Batch observations are off (they cost a timer sample per record); job and step ones stay on. */
class ObservationSettingsTest extends DatabaseTest {

    @Autowired
    ObservationRegistry registry;

    @Test
    void itemObservationsAreOffAndStepObservationsOn() {
        assertThat(Observation.createNotStarted("spring.batch.item.read", registry).isNoop()).isTrue();
        assertThat(Observation.createNotStarted("spring.batch.item.process", registry).isNoop()).isTrue();
        assertThat(Observation.createNotStarted("spring.batch.step", registry).isNoop()).isFalse();
        assertThat(Observation.createNotStarted("spring.batch.job", registry).isNoop()).isFalse();
        assertThat(Observation.createNotStarted("spring.batch.chunk.write", registry).isNoop()).isFalse();
    }
}

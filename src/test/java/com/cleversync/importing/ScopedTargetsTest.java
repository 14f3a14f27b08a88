package com.cleversync.importing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.scope.ScopedObject;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.test.MetaDataInstanceFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The wrappers call the step-scoped bean of the step execution that opened them on the calling thread: two step
 * executions reading at once through one wrapper (as the imports of a night do through one step) each read their own
 * bean, and a new execution gets a new bean.
 */
class ScopedTargetsTest {

    /** Hands out "step name:n" for n = 0, 1, 2; counts its opens and closes. */
    static class NamedReader implements ItemStreamReader<String> {
        final String name;
        int next;
        int opened;
        int closed;

        NamedReader(String name) {
            this.name = name;
        }

        @Override
        public String read() {
            return next < 3 ? name + ":" + next++ : null;
        }

        @Override
        public void open(ExecutionContext executionContext) {
            opened++;
        }

        @Override
        public void close() {
            closed++;
        }
    }

    static class NamedProcessor implements ItemProcessor<String, String> {
        final String name;

        NamedProcessor(String name) {
            this.name = name;
        }

        @Override
        public String process(String item) {
            return name + "(" + item + ")";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        static org.springframework.batch.core.scope.StepScope stepScope() {
            return new org.springframework.batch.core.scope.StepScope();
        }

        @Bean
        @StepScope
        NamedReader reader(@Value("#{stepExecution.stepName}") String step) {
            return new NamedReader(step);
        }

        @Bean
        @StepScope
        NamedProcessor processor(@Value("#{stepExecution.stepName}") String step) {
            return new NamedProcessor(step);
        }
    }

    private AnnotationConfigApplicationContext context;
    private NamedReader readerProxy;
    private NamedProcessor processorProxy;

    @BeforeEach
    void start() {
        context = new AnnotationConfigApplicationContext(Beans.class);
        readerProxy = context.getBean("reader", NamedReader.class);
        processorProxy = context.getBean("processor", NamedProcessor.class);
        assertThat(readerProxy).isInstanceOf(ScopedObject.class);
    }

    @AfterEach
    void stop() {
        context.close();
    }

    @Test
    void stepExecutionsReadingAtOnceEachReadTheirOwnBean() throws Exception {
        ItemStreamReader<String> reader = ScopedTargets.reader(readerProxy);
        ScopedTargets.StreamProcessor<String, String> processor = ScopedTargets.processor(processorProxy);
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            long id = 1;
            for (String step : List.of("a", "b")) {
                long stepExecutionId = id++;
                runs.add(threads.submit(() -> {
                    StepSynchronizationManager.register(MetaDataInstanceFactory.createStepExecution(step, stepExecutionId));
                    try {
                        reader.open(new ExecutionContext());
                        processor.open(new ExecutionContext());
                        List<String> out = new ArrayList<>();
                        String item;
                        while (true) {
                            // Both threads are between open and close here, taking turns item by item.
                            together.await(10, TimeUnit.SECONDS);
                            item = reader.read();
                            if (item == null) {
                                break;
                            }
                            out.add(processor.process(item));
                        }
                        processor.close();
                        reader.close();
                        return out;
                    } finally {
                        StepSynchronizationManager.close();
                    }
                }));
            }
            assertThat(runs.get(0).get(30, TimeUnit.SECONDS)).containsExactly("a(a:0)", "a(a:1)", "a(a:2)");
            assertThat(runs.get(1).get(30, TimeUnit.SECONDS)).containsExactly("b(b:0)", "b(b:1)", "b(b:2)");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aNewStepExecutionGetsANewBeanAndTheOldOneIsClosed() throws Exception {
        ItemStreamReader<String> reader = ScopedTargets.reader(readerProxy);
        List<NamedReader> beans = new ArrayList<>();
        for (long execution = 1; execution <= 2; execution++) {
            StepSynchronizationManager.register(MetaDataInstanceFactory.createStepExecution("step", execution));
            try {
                reader.open(new ExecutionContext());
                beans.add((NamedReader) ((ScopedObject) readerProxy).getTargetObject());
                assertThat(reader.read()).isEqualTo("step:0");
                reader.close();
            } finally {
                StepSynchronizationManager.close();
            }
        }
        assertThat(beans.get(0)).isNotSameAs(beans.get(1));
        assertThat(beans).allSatisfy(bean -> {
            assertThat(bean.opened).isEqualTo(1);
            assertThat(bean.closed).isEqualTo(1);
        });
    }

    @Test
    void readingOnAThreadThatDidNotOpenFails() {
        ItemStreamReader<String> reader = ScopedTargets.reader(readerProxy);
        assertThatThrownBy(reader::read).isInstanceOf(ItemStreamException.class).hasMessageContaining("has not opened");
    }
}

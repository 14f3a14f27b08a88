package com.cleversync.importing;

import org.springframework.aop.scope.ScopedObject;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * A step's reader and processor called on their step-scoped beans directly. Through the step scope's proxy every
 * call looks the bean up in the scope (the bean factory, the step context, its attributes), once per record read and
 * once per record processed. These wrappers look it up once, when the step opens its streams, and call that bean
 * until the step closes them; a restart, a new step execution, opens them again and gets its own beans. The step is
 * one object for all the imports running at once, each on its own thread, and reads, processes, opens and closes on
 * that thread: the bean is kept per thread. Listener interfaces are not forwarded: a step registers its listeners
 * itself.
 */
final class ScopedTargets {

    private ScopedTargets() {
    }

    /** {@code reader} (a step-scoped proxy, or any reader) read through the bean behind it. */
    static <T> ItemStreamReader<T> reader(ItemStreamReader<T> reader) {
        return new ItemStreamReader<>() {
            private final ThreadLocal<ItemStreamReader<T>> target = new ThreadLocal<>();

            @Override
            public void open(ExecutionContext executionContext) throws ItemStreamException {
                ItemStreamReader<T> bean = resolve(reader);
                target.set(bean);
                bean.open(executionContext);
            }

            @Override
            public T read() throws Exception {
                return opened(target).read();
            }

            @Override
            public void update(ExecutionContext executionContext) throws ItemStreamException {
                opened(target).update(executionContext);
            }

            @Override
            public void close() throws ItemStreamException {
                ItemStreamReader<T> closing = target.get();
                target.remove();
                if (closing != null) {
                    closing.close();
                }
            }
        };
    }

    /** A processor that can be opened as a stream, so that its step registers it as one. */
    interface StreamProcessor<I, O> extends ItemProcessor<I, O>, ItemStream {
    }

    /** {@code processor} (a step-scoped proxy, or any processor) called through the bean behind it. */
    static <I, O> StreamProcessor<I, O> processor(ItemProcessor<I, O> processor) {
        return new StreamProcessor<>() {
            private final ThreadLocal<ItemProcessor<I, O>> target = new ThreadLocal<>();

            @Override
            public void open(ExecutionContext executionContext) throws ItemStreamException {
                target.set(resolve(processor));
            }

            @Override
            public O process(I item) throws Exception {
                return opened(target).process(item);
            }

            @Override
            public void close() throws ItemStreamException {
                target.remove();
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static <T> T resolve(T bean) {
        return bean instanceof ScopedObject scoped ? (T) scoped.getTargetObject() : bean;
    }

    private static <T> T opened(ThreadLocal<T> target) {
        T bean = target.get();
        if (bean == null) {
            throw new ItemStreamException("called on a thread whose step has not opened its streams");
        }
        return bean;
    }
}

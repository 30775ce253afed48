package dev.aether.spring.autoconfigure;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.util.ClassUtils;

/**
 * What Aether needs at run time after Spring AOT processing and in a GraalVM native image: the
 * records the event codec reads and writes with Jackson, the starter's {@code spring.factories}
 * entries, and the failure analyzer listed there. ({@code @AetherSubscriber} methods get their own
 * hints: the annotation is {@link org.springframework.aot.hint.annotation.Reflective @Reflective}.)
 */
final class AetherRuntimeHints implements RuntimeHintsRegistrar {

    /** The JSON shapes of an event and a snapshot, private records of the codec that Jackson binds. */
    static final String[] JSON_RECORDS = {"dev.aether.jetstream.EventCodec$EventJson",
            "dev.aether.jetstream.EventCodec$SnapshotJson"};

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();
        for (String record : JSON_RECORDS) {
            bindings.registerReflectionHints(hints.reflection(), ClassUtils.resolveClassName(record, classLoader));
        }
        hints.resources().registerPattern("META-INF/spring.factories");
        hints.reflection().registerType(NatsConnectionFailureAnalyzer.class, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
    }
}

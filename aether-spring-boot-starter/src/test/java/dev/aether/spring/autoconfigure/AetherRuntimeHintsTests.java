package dev.aether.spring.autoconfigure;

import java.lang.reflect.RecordComponent;

import dev.aether.Event;
import dev.aether.spring.AetherSubscriber;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/** The hints the starter promises for Spring AOT and native images, checked with {@link RuntimeHintsPredicates}. */
class AetherRuntimeHintsTests {

    private final RuntimeHints hints = new RuntimeHints();

    @Test
    void theCodecsJsonRecordsCanBeBuiltAndReadByJackson() {
        new AetherRuntimeHints().registerHints(hints, getClass().getClassLoader());
        for (String name : AetherRuntimeHints.JSON_RECORDS) {
            Class<?> record = ClassUtils.resolveClassName(name, getClass().getClassLoader());
            assertThat(RuntimeHintsPredicates.reflection().onConstructorInvocation(record.getDeclaredConstructors()[0]))
                    .accepts(hints);
            for (RecordComponent component : record.getRecordComponents()) {
                assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(component.getAccessor()))
                        .as(name + "." + component.getName()).accepts(hints);
            }
        }
    }

    @Test
    void theSpringFactoriesAndTheFailureAnalyzerAreReachable() {
        new AetherRuntimeHints().registerHints(hints, getClass().getClassLoader());
        assertThat(RuntimeHintsPredicates.resource().forResource("META-INF/spring.factories")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(NatsConnectionFailureAnalyzer.class)
                .withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).accepts(hints);
    }

    @Test
    void anAetherSubscriberMethodCanBeInvokedReflectively() {
        new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(hints, Projection.class);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Projection.class, "on")).accepts(hints);
    }

    @Test
    void theAutoConfigurationImportsTheHints() {
        assertThat(AetherAutoConfiguration.class
                .getAnnotation(org.springframework.context.annotation.ImportRuntimeHints.class).value())
                .contains(AetherRuntimeHints.class);
    }

    static class Projection {
        @AetherSubscriber
        void on(Event event) {
        }
    }
}

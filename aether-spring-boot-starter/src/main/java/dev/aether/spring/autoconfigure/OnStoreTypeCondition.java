package dev.aether.spring.autoconfigure;

import java.util.Locale;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition behind {@link ConditionalOnStoreType}. A value that does not bind (an unknown type)
 * escapes as Boot's {@link org.springframework.boot.context.properties.bind.BindException}, whose
 * failure analysis names {@code aether.store.type}, the value and the accepted values.
 */
final class OnStoreTypeCondition extends SpringBootCondition {

    static final String PROPERTY = "aether.store.type";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        AetherProperties.StoreType required = (AetherProperties.StoreType) metadata
                .getAnnotationAttributes(ConditionalOnStoreType.class.getName()).get("value");
        AetherProperties.StoreType configured = Binder.get(context.getEnvironment())
                .bind(PROPERTY, AetherProperties.StoreType.class).orElse(AetherProperties.StoreType.MEMORY);
        String message = PROPERTY + " is " + configured.name().toLowerCase(Locale.ROOT);
        return configured == required ? ConditionOutcome.match(message) : ConditionOutcome.noMatch(message);
    }
}

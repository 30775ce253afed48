package dev.aether.spring.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when {@code aether.store.type} is the given type ({@code memory} when unset). The value is
 * bound as Boot binds {@link AetherProperties}, so an unknown value fails startup naming the property,
 * the value and the accepted values, instead of leaving the application without a store.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Documented
@Conditional(OnStoreTypeCondition.class)
@interface ConditionalOnStoreType {

    /** @return the store type the annotated configuration serves */
    AetherProperties.StoreType value();
}

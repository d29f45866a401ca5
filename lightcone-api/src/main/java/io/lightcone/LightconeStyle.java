package io.lightcone;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.immutables.value.Value;

/**
 * The one Immutables style of the project, placed on {@code package-info.java} of every package
 * that declares value types.
 *
 * <pre>{@code @LightconeStyle package io.lightcone.model;}</pre>
 */
@Target({ElementType.PACKAGE, ElementType.TYPE})
@Retention(RetentionPolicy.CLASS)
@Value.Style(
    jdkOnly = true,
    visibility = Value.Style.ImplementationVisibility.PUBLIC,
    defaults = @Value.Immutable(copy = true),
    depluralize = true,
    depluralizeDictionary = {"analysis:analyses", "evidence:evidence"},
    optionalAcceptNullable = true)
public @interface LightconeStyle {}

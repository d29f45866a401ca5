/**
 * The ASTRA model: immutable values for analyses, inputs, outputs, recipes, decisions, options,
 * universes and insights, exactly as a project declares them, plus typed ids and path references.
 *
 * <pre>{@code
 * Analysis root = Project.load(dir).analysis();
 * root.decisions().keySet(); // [fit_method, distance_scale]
 * }</pre>
 */
@LightconeStyle
package io.lightcone.model;

import io.lightcone.LightconeStyle;

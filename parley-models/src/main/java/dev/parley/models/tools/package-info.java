/**
 * Java functions as tools: {@link dev.parley.models.tools.ToolRegistry} (annotated methods, or functions of a record,
 * with the JSON schema generated from the types) and {@link dev.parley.models.tools.ToolLoop}, which runs a model and
 * its tool calls until the model answers, through an optional {@link dev.parley.models.tools.ToolInterceptor}.
 */
package dev.parley.models.tools;

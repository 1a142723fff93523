package dev.parley.models;

import dev.parley.models.internal.ErrorMapper;
import dev.parley.models.internal.StreamDecoder;
import dev.parley.models.internal.StreamFraming;

import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One adapter's reply parsing, reached without HTTP (an in-process server is far too slow to fuzz through): the
 * non-streamed body parser, a fresh stream decoder per stream, how its stream is framed, and its error mapper.
 */
public record ProviderWire(String provider, BiFunction<String, String, ChatResponse> parse,
                           Function<String, StreamDecoder> decoder, StreamFraming framing, ErrorMapper errors) {
}

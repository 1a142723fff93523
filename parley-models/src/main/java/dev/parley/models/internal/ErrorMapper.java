package dev.parley.models.internal;

import dev.parley.models.ModelException;

import java.net.http.HttpHeaders;

/** A provider's one place where failed HTTP responses become typed {@link ModelException}s. */
public interface ErrorMapper {

    /** Maps a non-2xx response; {@code body} has already had the API key redacted. */
    ModelException map(int status, String body, HttpHeaders headers);
}

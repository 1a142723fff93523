package dev.parley.models;

import dev.parley.domain.Part;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A stream handler that records every callback in order, for tests. */
public final class RecordingHandler implements StreamHandler {
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final List<String> texts = Collections.synchronizedList(new ArrayList<>());
    private final List<Part.ToolCall> toolCalls = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch firstText = new CountDownLatch(1);
    private volatile ChatResponse completed;
    private volatile ModelException error;

    @Override
    public void onText(String delta) {
        events.add("text");
        texts.add(delta);
        firstText.countDown();
    }

    @Override
    public void onToolCall(Part.ToolCall call) {
        events.add("tool:" + call.name());
        toolCalls.add(call);
    }

    @Override
    public void onComplete(ChatResponse response) {
        events.add("complete");
        completed = response;
    }

    @Override
    public void onError(ModelException failure) {
        events.add("error");
        error = failure;
    }

    /** Waits (bounded) for the first text delta. */
    public boolean awaitFirstText() throws InterruptedException {
        return firstText.await(30, TimeUnit.SECONDS);
    }

    public List<String> events() {
        return List.copyOf(events);
    }

    public List<String> texts() {
        return List.copyOf(texts);
    }

    public String joinedText() {
        return String.join("", texts());
    }

    public List<Part.ToolCall> toolCalls() {
        return List.copyOf(toolCalls);
    }

    public ChatResponse completed() {
        return completed;
    }

    public ModelException error() {
        return error;
    }
}

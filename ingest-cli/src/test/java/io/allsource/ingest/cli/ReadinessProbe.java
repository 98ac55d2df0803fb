package io.allsource.ingest.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Asks a worker's {@code /health/ready} every 50 ms on a thread of its own and keeps every answer, as a process
 * manager's readiness probe would see them, from before the worker listens until the probe is closed. Thread-safe.
 */
final class ReadinessProbe implements AutoCloseable {

    private static final Duration INTERVAL = Duration.ofMillis(50);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** One answer: the HTTP status and body, or status -1 and the failure when nothing answered. */
    record Answer(int status, String body) {

        boolean ready() {
            return status == 200;
        }

        /** 503 saying the worker stopped on its own (not "starting or stopped", which a start answers too). */
        boolean saysStopped() {
            return status == 503 && body.contains("the worker has stopped");
        }

        boolean none() {
            return status == -1;
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI uri;
    private final List<Answer> answers = new ArrayList<>();
    private final ScheduledExecutorService scheduler;

    private ReadinessProbe(int port) {
        this.uri = URI.create("http://127.0.0.1:" + port + "/health/ready");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "readiness-probe-" + port);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts probing the worker's health endpoint on {@code port} of 127.0.0.1. */
    static ReadinessProbe start(int port) {
        ReadinessProbe probe = new ReadinessProbe(port);
        probe.scheduler.scheduleWithFixedDelay(probe::probeOnce, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return probe;
    }

    private void probeOnce() {
        Answer answer = ask();
        synchronized (answers) {
            answers.add(answer);
        }
    }

    private Answer ask() {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Answer(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, e.toString());
        }
    }

    /** Every answer so far, in order. */
    List<Answer> answers() {
        synchronized (answers) {
            return List.copyOf(answers);
        }
    }

    boolean sawReady() {
        return answers().stream().anyMatch(Answer::ready);
    }

    /**
     * The answers from the first one that tells the worker stopped on: a 503 saying so, or no answer at all once the
     * endpoint had answered (the process closed it or exited). Empty while neither happened.
     */
    List<Answer> sinceStopped() {
        List<Answer> all = answers();
        boolean answered = false;
        for (int i = 0; i < all.size(); i++) {
            Answer answer = all.get(i);
            if (answer.saysStopped() || (answered && answer.none())) {
                return all.subList(i, all.size());
            }
            answered |= !answer.none();
        }
        return List.of();
    }

    @Override
    public void close() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(TIMEOUT.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
    }
}

package io.allsource.ingest.embedded;

/** The main class {@link ChildJvmIT} runs: prints what it was given, then a tick every 20 ms until it is ended. */
public final class ChildJvmProbe {

    private ChildJvmProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("arguments: " + String.join(" ", args));
        System.out.println("property: " + System.getProperty("probe.property"));
        System.out.println("environment: " + System.getenv("PROBE_ENVIRONMENT"));
        for (long tick = 0; ; tick++) {
            System.out.println("tick " + tick);
            System.out.flush();
            Thread.sleep(20); // the child's own pace, so that a paused child shows in its log
        }
    }
}

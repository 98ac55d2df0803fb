/**
 * Beside the write path: starts a worker with everything around it, with the checks of each step
 * ({@link io.allsource.ingest.startup.WorkerApplication}), and the command line's main
 * ({@link io.allsource.ingest.startup.WorkerCommand}).
 */
package io.allsource.ingest.startup;

/**
 * Beside the write path: the worker's settings, from flags, environment and a properties file.
 */
package io.allsource.ingest.config;

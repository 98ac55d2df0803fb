/**
 * The command and result model and its rules, used by step 2 of the write path, <b>check</b>: the contract's
 * rules that need no I/O ({@link io.allsource.ingest.command.CommandValidator}), including the size an event will
 * have once published.
 */
package io.allsource.ingest.command;

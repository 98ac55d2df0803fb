package io.allsource.ingest.store;

import io.allsource.ingest.command.CommandResult;
import io.allsource.ingest.command.ReplyRoute;

/**
 * A result to publish, with the route its delivery asked for.
 *
 * @param offset the offset of the delivery this answers (a redelivery's own offset, not the stored result's)
 */
public record RoutedResult(long offset, CommandResult result, ReplyRoute route) {
}

package io.allsource.ingest.bench.load;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.client.command.Append;
import io.allsource.ingest.client.command.Command;

/**
 * Commands that append atomically to two or three streams sharing a partition key (an order, its invoice and, for
 * every other order, its shipment), one event each, round-robin over {@code groups} orders: NO_STREAM on the first
 * pass, the exact version afterwards. Not thread-safe: one sender.
 */
final class MultiStreamAppends implements CommandGenerator {

    private final String prefix;
    private final int groups;
    private long sent;

    MultiStreamAppends(String prefix, int groups) {
        if (groups <= 0) {
            throw new IllegalArgumentException("groups must be positive");
        }
        this.prefix = prefix;
        this.groups = groups;
    }

    @Override
    public AppendCommand next() {
        long command = sent++;
        long group = command % groups;
        long version = command / groups;
        String order = prefix + "order-" + group;
        Command built = Command.of(TENANT).partitionKey(order)
                .append(CommandGenerator.expecting(Append.to(order), version)
                        .event("OrderChanged", order, CommandGenerator.payload(command, 0)))
                .append(CommandGenerator.expecting(Append.to(prefix + "invoice-" + group), version)
                        .event("InvoiceChanged", order, CommandGenerator.payload(command, 1)));
        if (group % 2 == 0) {
            built.append(CommandGenerator.expecting(Append.to(prefix + "shipment-" + group), version)
                    .event("ShipmentChanged", order, CommandGenerator.payload(command, 2)));
        }
        return built.build();
    }
}

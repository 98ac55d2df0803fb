/**
 * Fluent builders of the contract's {@code AppendCommand}:
 * {@code Command.of(tenant).append(Append.to(stream).expectingNoStream().event(type, entity, json)).build()}.
 * They check what is cheap and obvious (required text present, at least one append and one event, exact versions not
 * negative) and leave the contract's deeper rules to the worker, which rejects a command that breaks them with
 * {@code INVALID_COMMAND} and a message naming the field.
 */
package io.allsource.ingest.client.command;

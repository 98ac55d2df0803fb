-- W3C trace context (issue 17, item 4): the traceparent and tracestate headers of a command's delivery, stored with its
-- outcome so that a result or event published again from the database after a crash carries the same headers as its
-- first publication.
--
-- command_results holds those of the delivery that decided the outcome: its result and its events are published with
-- them (events are read back joined to their command's row by command_id, the primary key: one read, one index lookup
-- per event). command_redeliveries holds those of each later delivery of the command id, whose duplicate result
-- carries the retry's own trace context, as the caller waiting on that retry expects.
--
-- Nullable, and NULL for every row written before: a delivery without a valid traceparent has none, and such rows are
-- published without the headers, as before. A traceparent the worker keeps is at most 512 characters (version 00 is
-- exactly 55); a tracestate is cut to 512 characters as the W3C specification says. Adding nullable columns without a
-- default touches no row: no rewrite, a brief ACCESS EXCLUSIVE lock only.
ALTER TABLE command_results ADD COLUMN traceparent VARCHAR(512), ADD COLUMN tracestate VARCHAR(512);

ALTER TABLE command_redeliveries ADD COLUMN traceparent VARCHAR(512), ADD COLUMN tracestate VARCHAR(512);

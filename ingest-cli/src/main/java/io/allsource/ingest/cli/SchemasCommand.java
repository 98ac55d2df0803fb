package io.allsource.ingest.cli;

import io.allsource.ingest.config.ConfigKeys;
import io.allsource.ingest.config.IngestConfig;
import io.allsource.ingest.publish.EventsFormat;
import io.allsource.ingest.registry.ContractRegistration;
import io.allsource.ingest.registry.ContractRegistration.SubjectStatus;
import io.allsource.ingest.registry.ContractSubjects;
import io.allsource.ingest.registry.RegistryException;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.settings.ConfigException;
import io.allsource.ingest.settings.RegistryFixes;
import io.allsource.ingest.startup.WorkerCommand;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code ingest schemas register|check}: the deployment step for the wire contract's schemas. It takes the worker's own
 * settings (flags, {@code INGEST_...} variables, {@code --config}), so that it registers and checks exactly the subjects
 * that worker uses: {@code AppendCommand}, {@code CommandResult} and, unless events are JSON envelopes,
 * {@code EventRecord}, each under {@code <topic>-value}. {@code register} sets each subject's compatibility to
 * {@value ContractRegistration#COMPATIBILITY} and prints subject -> id; {@code check} prints each subject's state and
 * exits 1 when one is missing or holds other schemas.
 */
final class SchemasCommand {

    private SchemasCommand() {
    }

    static int run(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
        CommandSpec spec = WorkerCommand.spec().name("ingest schemas");
        spec.usageMessage().description("register: register the contract's schemas under their subjects, with"
                + " compatibility " + ContractRegistration.COMPATIBILITY + ", and print subject -> id.",
                "check: exit 1 and list what the registry lacks of what this build needs.",
                "Takes the worker's settings; only registry-url (and the topic names, events-format and registry"
                        + " credentials, when not the defaults) matter here.");
        spec.addPositional(PositionalParamSpec.builder().paramLabel("register|check").arity("1").type(String.class)
                .description("what to do").build());
        ParsedArguments arguments = ParsedArguments.parse(spec, args, out, err);
        if (arguments.answered()) {
            return arguments.exitStatus();
        }
        ParseResult parsed = arguments.result();
        String action = parsed.matchedPositionalValue(0, "");
        if (!action.equals("register") && !action.equals("check")) {
            err.println("error: ingest schemas takes register or check, not " + action);
            return 2;
        }
        SchemaRegistryClient registry;
        ContractSubjects subjects;
        try {
            Path file = WorkerCommand.configFile(parsed, environment);
            IngestConfig config = IngestConfig.load(WorkerCommand.flags(parsed), environment, file,
                    List.of(ConfigKeys.REGISTRY_URL));
            registry = new SchemaRegistryClient(config.registrySettings());
            subjects = ContractSubjects.of(config.topics(),
                    EventsFormat.parse(config.require(ConfigKeys.EVENTS_FORMAT)) == EventsFormat.AVRO);
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("error: " + firstLine(e.getMessage()));
            return 1;
        }
        return act(action, registry, subjects, out, err);
    }

    /** Registers or checks; a refusal by the registry is one line with the setting that fixes it. */
    private static int act(String action, SchemaRegistryClient registry, ContractSubjects subjects, PrintWriter out,
            PrintWriter err) {
        ContractRegistration registration = new ContractRegistration(registry);
        try {
            return action.equals("register") ? register(registration, subjects, out)
                    : check(registration, subjects, out, err);
        } catch (RegistryException e) {
            err.println("error: " + firstLine(e.getMessage()) + RegistryFixes.forFailure(e, registry.settings()));
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("error: " + firstLine(e.getMessage()));
            return 1;
        }
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    private static int register(ContractRegistration registration, ContractSubjects subjects, PrintWriter out) {
        registration.register(subjects).forEach((subject, id) -> out.println(subject + " -> " + id));
        out.println("Compatibility of each subject: " + ContractRegistration.COMPATIBILITY);
        out.flush();
        return 0;
    }

    private static int check(ContractRegistration registration, ContractSubjects subjects, PrintWriter out,
            PrintWriter err) {
        List<SubjectStatus> statuses = registration.check(subjects);
        statuses.forEach(status -> out.println(status.describe()));
        out.flush();
        long faults = statuses.stream().filter(status -> !status.isRegistered()).count();
        if (faults > 0) {
            err.println("error: the registry lacks " + faults + " of this build's " + statuses.size()
                    + " schemas: run `ingest schemas register` with the same settings");
            err.flush();
            return 1;
        }
        return 0;
    }
}

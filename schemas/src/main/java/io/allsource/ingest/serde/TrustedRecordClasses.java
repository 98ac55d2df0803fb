package io.allsource.ingest.serde;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Adds the contract's generated record classes to the classes Avro agrees to load by the names found in schemas
 * (Avro 1.12 trusts only a built-in set unless told more), keeping whatever the application trusts already.
 */
final class TrustedRecordClasses {

    static final String GENERATED_PACKAGE = "io.allsource.ingest.avro";

    private static boolean installed;

    private TrustedRecordClasses() {
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(),
                type -> GENERATED_PACKAGE.equals(type.getPackageName())));
        installed = true;
    }
}

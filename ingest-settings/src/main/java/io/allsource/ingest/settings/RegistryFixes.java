package io.allsource.ingest.settings;

import io.allsource.ingest.registry.RegistryException;
import io.allsource.ingest.registry.RegistryRequestException;
import io.allsource.ingest.registry.RegistrySettings;
import javax.net.ssl.SSLException;

/**
 * Which setting to fix when the schema registry refuses a component or its TLS handshake fails, for the one line that
 * reports it (the worker's and the views' start, {@code ingest schemas}): 401 names {@code registry-basic-auth}, 403
 * the rights of its user, a TLS failure {@code registry-url} and the trust store settings. Stateless.
 */
public final class RegistryFixes {

    private static final int UNAUTHORIZED = 401;
    private static final int FORBIDDEN = 403;

    private RegistryFixes() {
    }

    /**
     * The fix to append to {@code failure}'s message: {@code "; ..."}, or empty when no setting can fix it.
     *
     * @param settings the settings the failed request was made with (whether credentials were given)
     */
    public static String forFailure(RegistryException failure, RegistrySettings settings) {
        String credentials = CommonKeys.REGISTRY_BASIC_AUTH.name();
        if (failure instanceof RegistryRequestException refused && refused.httpStatus() == UNAUTHORIZED) {
            return settings.basicAuthUserInfo() == null
                    ? "; the registry asks for credentials: set " + credentials + " (user:password)"
                    : "; the registry did not accept the user and password: check " + credentials;
        }
        if (failure instanceof RegistryRequestException refused && refused.httpStatus() == FORBIDDEN) {
            return "; the registry denies the user of " + credentials + " this request: grant that user access to"
                    + " the pipeline's subjects, or check " + credentials;
        }
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException) {
                return "; check " + CommonKeys.REGISTRY_URL.name() + " (https) and "
                        + CommonKeys.REGISTRY_TRUSTSTORE.name() + " (with "
                        + CommonKeys.REGISTRY_TRUSTSTORE_PASSWORD.name() + " and "
                        + CommonKeys.REGISTRY_TRUSTSTORE_TYPE.name() + "), which must hold the registry's"
                        + " certificate or its issuer";
            }
        }
        return "";
    }
}

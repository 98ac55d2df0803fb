package io.allsource.ingest.bench;

import io.allsource.ingest.bench.report.MachineInfo;
import io.allsource.ingest.bench.servers.BenchEndpoints;
import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import org.apache.kafka.common.utils.AppInfoParser;

/** Describes the machine and the servers a run measures. */
final class MachineProbe {

    private MachineProbe() {
    }

    static MachineInfo describe(BenchEndpoints endpoints, boolean embedded) throws SQLException {
        long memory = ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getTotalMemorySize() : -1;
        String java = System.getProperty("java.vm.vendor") + " " + Runtime.version() + " ("
                + System.getProperty("java.vm.name") + ")";
        String kafka = AppInfoParser.getVersion() + (embedded ? "" : " (clients; the broker's own version is not"
                + " reported over the wire)");
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), memory, Runtime.getRuntime().maxMemory(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                java, BenchSchemas.serverVersion(endpoints), kafka, embedded);
    }
}

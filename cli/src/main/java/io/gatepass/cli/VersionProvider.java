package io.gatepass.cli;

import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = GatepassCommand.class.getPackage().getImplementationVersion();
        return new String[] {"gatepass " + (version == null ? "development build" : version)};
    }
}

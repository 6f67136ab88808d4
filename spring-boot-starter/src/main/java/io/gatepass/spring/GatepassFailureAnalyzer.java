package io.gatepass.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Spring Boot's "APPLICATION FAILED TO START" report for wrong {@code gatepass.*} properties: what, and what to do. */
public final class GatepassFailureAnalyzer extends AbstractFailureAnalyzer<GatepassPropertiesException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, GatepassPropertiesException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}

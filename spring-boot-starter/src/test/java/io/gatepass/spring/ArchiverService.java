package io.gatepass.spring;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The brief's archiver as a Spring Boot app that calls the archive API: no web server of its own, its app's
 * credentials in {@code gatepass.client.*}, and the starter's beans to call with.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ArchiverService {
}

package dev.grpcspring.boot.test.autoconfigure;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application the test-support tests start: everything in this package. */
@SpringBootApplication
public class TestApplication {}

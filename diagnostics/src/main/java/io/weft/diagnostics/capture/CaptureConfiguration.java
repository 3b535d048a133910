package io.weft.diagnostics.capture;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CaptureLimits.class)
class CaptureConfiguration {}

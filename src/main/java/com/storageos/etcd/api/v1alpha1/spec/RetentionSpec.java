package com.storageos.etcd.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RetentionSpec {
    @JsonPropertyDescription("Keep at most this many backups, newest first.")
    @Default("7")
    @Min(1)
    @Max(1000)
    private Integer keepLast = 7;

    @JsonPropertyDescription("Also delete backups older than this (for example 168h), but never the newest one.")
    @Pattern("^[0-9]+(m|h)$")
    private String maxAge;

    public Integer getKeepLast() { return keepLast; }
    public void setKeepLast(Integer keepLast) { this.keepLast = keepLast; }
    public String getMaxAge() { return maxAge; }
    public void setMaxAge(String maxAge) { this.maxAge = maxAge; }
}

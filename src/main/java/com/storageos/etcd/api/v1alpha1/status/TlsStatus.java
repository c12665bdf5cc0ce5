package com.storageos.etcd.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsStatus {
    @JsonPropertyDescription("Every usable certificate the cluster's TLS uses, with its expiry; also exported as etcd_operator_certificate_expiry_timestamp_seconds.")
    private List<CertificateStatus> certificates = new ArrayList<>();
    @JsonPropertyDescription("The last or current replacement of the generated CA; absent until one starts.")
    private CaRotationStatus caRotation;

    public TlsStatus() {
    }

    public TlsStatus(List<CertificateStatus> certificates) {
        this.certificates = new ArrayList<>(certificates);
    }

    public List<CertificateStatus> getCertificates() { return certificates; }
    public void setCertificates(List<CertificateStatus> certificates) { this.certificates = certificates; }
    public CaRotationStatus getCaRotation() { return caRotation; }
    public void setCaRotation(CaRotationStatus caRotation) { this.caRotation = caRotation; }
}

"""TLS, mutual TLS and bearer tokens end to end: a CA, a server and a client certificate made here
(`cryptography`), a real server, the SDK, `quotes health` and `quotes batch --target`."""
from __future__ import annotations

import datetime
import ipaddress
import json
import subprocess
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from conftest import QUOTES, RunningServer
from quotes_client import SERVICE_NAME, QuotesClient, QuotesError, channel_credentials

pytestmark = pytest.mark.slow

TOKEN = "s3cret-token-for-tests"


def make_pki(folder: Path) -> dict[str, Path]:
    """A CA, a server certificate for localhost and a client certificate, all signed by the CA; PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.UTC)
    files: dict[str, Path] = {}

    def write(name: str, data: bytes) -> None:
        files[name] = folder / f"{name}.pem"
        files[name].write_bytes(data)

    def key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
        return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())

    def certificate(subject: str, key: ec.EllipticCurvePrivateKey, issuer: x509.Name | None,
                    issuer_key: ec.EllipticCurvePrivateKey, *extensions: tuple[x509.ExtensionType, bool]):
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
        builder = (x509.CertificateBuilder().subject_name(name).issuer_name(issuer or name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(minutes=5))
                   .not_valid_after(now + datetime.timedelta(days=1)))
        for extension, critical in extensions:
            builder = builder.add_extension(extension, critical)
        return builder.sign(issuer_key, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = certificate("quotes test CA", ca_key, None, ca_key, (x509.BasicConstraints(ca=True, path_length=None), True))
    write("ca", ca.public_bytes(serialization.Encoding.PEM))
    for role, usage, names in (
            ("server", ExtendedKeyUsageOID.SERVER_AUTH,
             [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            ("client", ExtendedKeyUsageOID.CLIENT_AUTH, [x509.DNSName("batch-job")])):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = certificate(f"quotes test {role}", key, ca.subject, ca_key,
                           (x509.SubjectAlternativeName(names), False), (x509.ExtendedKeyUsage([usage]), False))
        write(role, cert.public_bytes(serialization.Encoding.PEM))
        write(f"{role}-key", key_pem(key))
    return files


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pki")
    files = make_pki(folder)
    files["token"] = folder / "token"
    files["token"].write_text(f"# the tokens this server accepts, one a line\nold-token\n{TOKEN}\n")
    return files


@pytest.fixture(scope="module")
def secure_server(pki):
    """Mutual TLS and tokens; the TLS files through flags, the client CA and the tokens through the
    environment."""
    srv = RunningServer("--workers", "1", "--tls-cert", str(pki["server"]), "--tls-key", str(pki["server-key"]),
                        env={"QUOTES_TLS_CLIENT_CA": str(pki["ca"]), "QUOTES_AUTH_TOKEN_FILE": str(pki["token"])})
    _wait_serving_tls(srv, pki)
    yield srv
    srv.terminate()


def _client_tls(pki) -> dict:
    return {"tls_ca": pki["ca"], "tls_cert": pki["client"], "tls_key": pki["client-key"]}


def _health(srv: RunningServer, pki, **tls) -> int:
    credentials = channel_credentials(**tls)
    assert credentials is not None
    with grpc.secure_channel(srv.target, credentials) as channel:
        return health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service=SERVICE_NAME), timeout=10).status


def _wait_serving_tls(srv: RunningServer, pki) -> None:
    from conftest import wait_until

    def serving() -> bool:
        try:
            return _health(srv, pki, **_client_tls(pki)) == health_pb2.HealthCheckResponse.SERVING
        except grpc.RpcError:
            assert srv.proc.poll() is None, srv.logs()
            return False

    wait_until(serving, timeout=300, what="SERVING over mutual TLS")


def test_mutual_tls_and_a_token_serve(secure_server, pki):
    with QuotesClient(secure_server.target, token=TOKEN, **_client_tls(pki)) as client:
        assert client.extract("The mayor said the road would reopen.").quotes
        assert [r.document_id for r in client.extract_many([{"id": "a", "text": "He said so."}])] == ["a"]
    with QuotesClient(secure_server.target, token_file=pki["token"], **_client_tls(pki)) as client:
        assert client.extract("The mayor said it was over.").quotes  # the first token of the file is valid too
    listening = secure_server.events("listening")[0]
    assert listening["tls"] == "mutual" and listening["tokens"] is True


@pytest.mark.parametrize("token, reason", [(None, "TOKEN_MISSING"), ("wrong", "TOKEN_INVALID"),
                                           (TOKEN + "x", "TOKEN_INVALID")])
def test_a_call_without_the_token_is_unauthenticated(secure_server, pki, token, reason):
    with QuotesClient(secure_server.target, token=token, **_client_tls(pki)) as client:
        with pytest.raises(QuotesError) as caught:
            client.extract("He said so.")
        assert (caught.value.code, caught.value.reason) == (grpc.StatusCode.UNAUTHENTICATED, reason)
        with pytest.raises(QuotesError) as streamed:
            list(client.extract_many(["He said so."]))
        assert streamed.value.code == grpc.StatusCode.UNAUTHENTICATED


def test_health_needs_no_token_but_tls_still_needs_a_client_certificate(secure_server, pki):
    assert _health(secure_server, pki, **_client_tls(pki)) == health_pb2.HealthCheckResponse.SERVING
    with pytest.raises(grpc.RpcError) as no_certificate:
        _health(secure_server, pki, tls_ca=pki["ca"])
    assert no_certificate.value.code() == grpc.StatusCode.UNAVAILABLE
    with grpc.insecure_channel(secure_server.target) as plain, pytest.raises(grpc.RpcError) as plaintext:
        health_pb2_grpc.HealthStub(plain).Check(health_pb2.HealthCheckRequest(), timeout=10)
    assert plaintext.value.code() == grpc.StatusCode.UNAVAILABLE
    out = subprocess.run([QUOTES, "health", "--target", secure_server.target, "--tls-ca", str(pki["ca"]),
                          "--tls-cert", str(pki["client"]), "--tls-key", str(pki["client-key"])],
                         capture_output=True, text=True, check=False)
    assert (out.returncode, json.loads(out.stdout)) == (0, {"status": "SERVING"})


def test_batch_reaches_a_secure_server(secure_server, pki, tmp_path):
    (tmp_path / "in.jsonl").write_text("".join(json.dumps({"id": f"d{i}", "text": "The mayor said it was over."})
                                               + "\n" for i in range(3)))
    (tmp_path / "token").write_text(TOKEN + "\n")
    out = subprocess.run([QUOTES, "batch", "--input", str(tmp_path / "in.jsonl"), "--output", str(tmp_path / "out.jsonl"),
                          "--target", secure_server.target, "--tls-ca", str(pki["ca"]), "--tls-cert", str(pki["client"]),
                          "--tls-key", str(pki["client-key"]), "--token-file", str(tmp_path / "token")],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert sorted(line["documentId"] for line in lines) == ["d0", "d1", "d2"]
    assert all(line["quotes"] for line in lines)

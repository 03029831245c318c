"""Decode google.rpc.Status / ErrorInfo from the `grpc-status-details-bin` trailer without depending on
googleapis-common-protos: wire-compatible messages in a private descriptor pool."""
from __future__ import annotations

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

_F = descriptor_pb2.FieldDescriptorProto
_ERROR_INFO_TYPE = "type.googleapis.com/google.rpc.ErrorInfo"


def _build():
    file = descriptor_pb2.FileDescriptorProto(name="quotes_client/rpc_status.proto", package="quotes_client.rpc",
                                              syntax="proto3")

    def message(name: str, *fields: tuple[str, int, int, int, str]) -> None:
        msg = file.message_type.add(name=name)
        for fname, number, ftype, label, type_name in fields:
            field = msg.field.add(name=fname, number=number, type=ftype, label=label)
            if type_name:
                field.type_name = type_name

    opt, rep = _F.LABEL_OPTIONAL, _F.LABEL_REPEATED
    message("AnyValue", ("type_url", 1, _F.TYPE_STRING, opt, ""), ("value", 2, _F.TYPE_BYTES, opt, ""))
    message("Status", ("code", 1, _F.TYPE_INT32, opt, ""), ("message", 2, _F.TYPE_STRING, opt, ""),
            ("details", 3, _F.TYPE_MESSAGE, rep, ".quotes_client.rpc.AnyValue"))
    message("Entry", ("key", 1, _F.TYPE_STRING, opt, ""), ("value", 2, _F.TYPE_STRING, opt, ""))
    message("ErrorInfo", ("reason", 1, _F.TYPE_STRING, opt, ""), ("domain", 2, _F.TYPE_STRING, opt, ""),
            ("metadata", 3, _F.TYPE_MESSAGE, rep, ".quotes_client.rpc.Entry"))
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return (message_factory.GetMessageClass(pool.FindMessageTypeByName("quotes_client.rpc.Status")),
            message_factory.GetMessageClass(pool.FindMessageTypeByName("quotes_client.rpc.ErrorInfo")))


_Status, _ErrorInfo = _build()


def error_info(trailing_metadata) -> tuple[str, dict[str, str]]:
    """(reason, metadata) of the first ErrorInfo in the trailers, or ("", {})."""
    for key, value in trailing_metadata or ():
        if key != "grpc-status-details-bin":
            continue
        status = _Status.FromString(value)
        for detail in status.details:
            if detail.type_url == _ERROR_INFO_TYPE:
                info = _ErrorInfo.FromString(detail.value)
                return info.reason, {e.key: e.value for e in info.metadata}
    return "", {}

"""snmpsim variation module: an OctetString an SNMP SET can change, kept per data file.

A record ``OID|4:netcomply_writable|<hex of the initial value>`` answers GET with its
current value and accepts a SET of an OctetString. snmpsim gives each data file (one
simulated agent and community) its own ``recordContext``, so agents never share values.
snmpsim loads this file itself and injects ``recordContext``.
"""

from pysnmp.proto import rfc1902

recordContext: dict = {}  # replaced by snmpsim before each call


def init(**context):
    pass


def variate(oid, tag, value, **context):
    if not context["nextFlag"] and not context["exactMatch"]:
        return context["origOid"], tag, context["errorStatus"]
    if "value" not in recordContext:
        recordContext["value"] = rfc1902.OctetString(hexValue=value)
    if context["setFlag"]:
        given = context["origValue"]
        if not rfc1902.OctetString().isSameTypeWith(given):
            return context["origOid"], tag, context["errorStatus"]
        recordContext["value"] = rfc1902.OctetString(given.asOctets())
    return oid, tag, recordContext["value"]


def shutdown(**context):
    pass

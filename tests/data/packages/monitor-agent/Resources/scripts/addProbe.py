import sys

import monitorApi

server, hostname, probe = sys.argv[1:4]
print(monitorApi.post(server, "probes", {"host": hostname, "kind": probe}))

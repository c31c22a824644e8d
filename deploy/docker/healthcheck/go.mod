module hotswap.local/healthcheck

go 1.26

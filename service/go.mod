module hotswap.local/service

go 1.26

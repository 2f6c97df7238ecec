/* A short table rather than getservbyname(3): /etc/services lookups
 * touch the file system, and this table also says what a port is for. */
#include "services.h"

#include <stddef.h>

static const struct {
	uint16_t port;
	const char *name;
} services[] = {
	{ 20, "FTP data" }, { 21, "FTP control" }, { 22, "SSH (remote shell)" },
	{ 23, "Telnet (unencrypted remote shell)" }, { 25, "SMTP (mail transfer)" },
	{ 53, "DNS (name lookups)" }, { 67, "DHCP (server side)" },
	{ 68, "DHCP (client side)" }, { 69, "TFTP" }, { 80, "HTTP (the web)" },
	{ 110, "POP3 (mail retrieval)" }, { 123, "NTP (time)" },
	{ 137, "NetBIOS name service" }, { 143, "IMAP (mail retrieval)" },
	{ 161, "SNMP (device monitoring)" }, { 179, "BGP (inter-domain routing)" },
	{ 389, "LDAP (directory)" }, { 443, "HTTPS (the web over TLS)" },
	{ 445, "SMB (Windows file sharing)" }, { 514, "syslog" },
	{ 546, "DHCPv6 (client side)" }, { 547, "DHCPv6 (server side)" },
	{ 587, "mail submission" }, { 636, "LDAPS" }, { 853, "DNS over TLS" },
	{ 993, "IMAPS" }, { 995, "POP3S" }, { 1194, "OpenVPN" },
	{ 1883, "MQTT" }, { 3306, "MySQL" }, { 3389, "RDP (remote desktop)" },
	{ 5353, "mDNS (local name discovery)" }, { 5432, "PostgreSQL" },
	{ 6379, "Redis" }, { 8080, "HTTP (alternate port)" },
};

const char *
pkl_service_name(uint16_t port)
{
	for (size_t i = 0; i < sizeof services / sizeof services[0]; i++)
		if (services[i].port == port)
			return services[i].name;
	return NULL;
}

void
pkl_service_append(struct pkl_out *o, uint16_t port)
{
	const char *name = pkl_service_name(port);

	if (name) {
		pkl_out_str(o, " (");
		pkl_out_str(o, name);
		pkl_out_char(o, ')');
	}
}

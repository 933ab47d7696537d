# HR to LDAP: an HR export -> users -> inetOrgPerson entries under
# ou=people in a directory. start-slapd.sh starts a throwaway OpenLDAP
# slapd on 127.0.0.1:3890 to try it with; see README.md.

syncline {
  state = "sqlite://.syncline/state.db"
}

variable "ldap_url" {
  type        = string
  default     = "ldap://127.0.0.1:3890"
  description = "The directory; start-slapd.sh listens here."
}

variable "ldap_password" {
  type        = string
  sensitive   = true
  default     = "syncline-example"
  description = "The password of cn=admin,dc=example,dc=org on the throwaway slapd. Give a real directory's from SYNCLINE_VAR_ldap_password, never in a file."
}

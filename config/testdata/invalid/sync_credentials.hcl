variable "secret" {
  sensitive = true
  default   = "/etc/key"
}

syncline {
  sync {
    repository               = "https://git.example.com/iam.git"
    password                 = var.secret # ERROR: Missing username
    token                    = "t0ken" # ERROR: Conflicting credentials
    ssh_key_file             = var.secret # ERROR: Sensitive value not allowed here
    known_hosts_file         = "/etc/ssh/ssh_known_hosts"
    insecure_ignore_host_key = true # ERROR: Conflicting host key settings
  }
}

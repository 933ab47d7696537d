# Security summary: import the HR export, provision application accounts,
# and every night mail the security team a summary of what changed —
# users added and disabled, accounts created and deleted, conflicts and
# failed runs — with the summary attached. A failed import mails the IAM
# team at once. See README.md to try it with a local mail catcher.

syncline {
  state      = "sqlite://.syncline/state.db"
  public_url = var.public_url

  smtp {
    host = var.smtp_host
    port = var.smtp_port
    # A mail catcher on this machine speaks plain SMTP. A real server:
    # tls = "starttls" (the default) with username and
    # password = env("SMTP_PASSWORD").
    tls  = "none"
    from = "Syncline <syncline@example.com>"
  }
}

variable "smtp_host" {
  type    = string
  default = "127.0.0.1"
}

variable "smtp_port" {
  type    = number
  default = 2525
}

variable "public_url" {
  type        = string
  default     = "http://127.0.0.1:8080"
  description = "Where people reach Syncline; e-mails link to runs there."
}

task "hr-import" {
  description = "Import HR accounts into users and provision the application"
  owner       = "iam-team"

  schedule {
    cron     = "0 1 * * *"
    timezone = "Europe/Prague"
  }

  activity "import" {
    resource = resource.hr
  }

  # Tell the IAM team at once when the import does not go through.
  notify {
    on    = ["failed", "interrupted"]
    email = ["IAM team <iam-team@example.com>"]
  }
}

task "security-summary" {
  description = "Daily summary of new, deprovisioned and conflicting accounts"
  owner       = "security-team"
  after       = [task.hr-import]

  activity "report" {
    source = "summary"
    since  = "24h"
    format = "csv"
    output = "reports/security-summary.csv"
  }

  # The summary, attached, to the security team every night.
  notify {
    on      = ["succeeded", "partial"]
    email   = ["Security team <security@example.com>"]
    subject = "[iam] daily summary ({outcome})"
  }
}

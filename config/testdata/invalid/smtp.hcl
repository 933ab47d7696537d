syncline {
  public_url = "ftp://syncline.example.com" # ERROR: Invalid public URL
  smtp {
    host     = "smtp.example.com"
    port     = 70000 # ERROR: Invalid number
    tls      = "ssl" # ERROR: Invalid value
    password = "pw" # ERROR: Missing username
    from     = "syncline" # ERROR: Invalid e-mail address
  }
  smtp { # ERROR: Duplicate smtp block
    host = "b"
    from = "b@example.com"
  }
}

"""E-mail as a channel: SMTP through aiosmtplib, multipart text + HTML, an unsubscribe link."""

"""Data protection over time: what each model holds and for how long (`declarations`), the
register of processing built from that (`register`), closing an account (`erasure`)."""

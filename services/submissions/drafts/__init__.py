"""Drafts: a work a clerk is entering through the pages, kept between the form and "check your answers"."""

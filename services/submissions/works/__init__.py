"""Works: intake, edits, withdrawal, the staff's lists and export, and the status moves the evaluation reports."""

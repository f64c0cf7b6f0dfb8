from services.submissions.main import run

run()
